; Test guest: self-modifying code and TLB maintenance. Code patched between calls, the very next
; instruction patched by the one before it (P6 and later detect this: SDM vol. 3, 8.1.3), code
; rewritten through another virtual mapping of its physical page, a routine copied over another
; with REP MOVSB, and INVLPG / CR3 reloads after page table changes. Prints on port 0xE9; the test
; compares the output with QEMU's. Flat multiboot image; build: nasm -f bin selfmod.asm

        bits 32
        org 0x100000

MB_MAGIC        equ 0x1BADB002
MB_FLAGS        equ 0x00010000
ALIAS           equ 0x800000            ; a second virtual address for the page of `patched`
WINDOW          equ 0xC00000            ; a virtual page that the test points at different frames

start:  jmp     entry
        align 4
header: dd      MB_MAGIC, MB_FLAGS, -(MB_MAGIC + MB_FLAGS)
        dd      header, start, image_end, bss_end, entry

%include "lib.inc"

entry:
        mov     esp, stack_top

        ; 1. patch an immediate between calls
        xor     ebx, ebx
        xor     ecx, ecx
.loop1: mov     eax, ecx
        imul    eax, eax, 3
        mov     [patched + 1], eax      ; the imm32 of "mov eax, imm32"
        call    patched
        add     ebx, eax
        inc     ecx
        cmp     ecx, 10
        jb      .loop1
        PRINTHEX s_t1, ebx
        NEWLINE

        ; 2. the next instruction, patched by the one just before it
        mov     byte [.next + 1], 0x42
.next:  mov     al, 0x00
        movzx   eax, al
        PRINTHEX s_t2, eax
        NEWLINE

        ; 3. a routine copied over another, then called
        call    routine_a
        mov     edx, eax
        mov     esi, routine_b
        mov     edi, routine_a
        mov     ecx, routine_b_end - routine_b
        rep movsb
        call    routine_a
        PRINTHEX s_t3, edx
        PRINTHEX s_t3, eax
        NEWLINE

        ; paging: identity map 0-4 MiB, ALIAS -> the frame of `patched`, WINDOW -> frame_a
        mov     edi, page_table
        mov     eax, 3
        mov     ecx, 1024
.pte:   stosd
        add     eax, 0x1000
        loop    .pte
        mov     dword [page_directory], page_table + 3
        mov     eax, patched
        and     eax, ~0xFFF
        or      eax, 3
        mov     [alias_table], eax
        mov     dword [alias_table + 4], patched_page_next + 3
        mov     dword [page_directory + (ALIAS >> 22) * 4], alias_table + 3
        mov     dword [window_table], frame_a + 3
        mov     dword [page_directory + (WINDOW >> 22) * 4], window_table + 3
        mov     dword [frame_a], 0xAAAAAAAA
        mov     dword [frame_b], 0xBBBBBBBB
        mov     eax, page_directory
        mov     cr3, eax
        mov     eax, cr0
        or      eax, 0x80000000
        mov     cr0, eax

        ; 4. code rewritten through the alias, run through the identity mapping
        call    patched
        mov     edx, eax
        mov     eax, patched + 1
        and     eax, 0xFFF
        mov     dword [ALIAS + eax], 0x5EC0DE
        call    patched
        PRINTHEX s_t4, edx
        PRINTHEX s_t4, eax
        NEWLINE

        ; 5. INVLPG and CR3 reloads make page table changes visible
        mov     eax, [WINDOW]
        PRINTHEX s_t5, eax
        mov     dword [window_table], frame_b + 3
        invlpg  [WINDOW]
        mov     eax, [WINDOW]
        PRINTHEX s_t5, eax
        mov     dword [window_table], frame_a + 3
        mov     eax, cr3
        mov     cr3, eax
        mov     eax, [WINDOW]
        PRINTHEX s_t5, eax
        mov     eax, [window_table]
        and     eax, 0x60               ; accessed (and not dirty) after a read
        PRINTHEX s_t5, eax
        NEWLINE

        PRINT   s_done
        EXIT    0

routine_a:
        mov     eax, 0xA
        ret
        times 16 nop
routine_b:
        mov     eax, 0xB
        add     eax, eax
        ret
routine_b_end:

s_t1:   db "patched immediates: ", 0
s_t2:   db "next instruction: ", 0
s_t3:   db "copied routine: ", 0
s_t4:   db "through an alias: ", 0
s_t5:   db "invlpg and cr3: ", 0
s_done: db "done", 10, 0

        align 4096
patched:
        mov     eax, 0
        ret
        align 4096
patched_page_next:
        times 16 db 0
        align 4
image_end:

        absolute image_end
        alignb  4096
page_directory: resb 4096
page_table:     resb 4096
alias_table:    resb 4096
window_table:   resb 4096
frame_a:        resb 4096
frame_b:        resb 4096
                resb 8192
stack_top:
bss_end:
