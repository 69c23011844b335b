; Test guest: privilege levels. The kernel enters ring 3 with IRET; user code prints through a
; system call (INT 0x80, a DPL-3 trap gate, with the stack switched to the TSS's ESP0), then tries
; what ring 3 may not do (CLI, IN, HLT, MOV from CR0, INT through a DPL-0 gate, loading a DPL-0
; data segment, writing a supervisor page) and gets #GP or #PF with the error codes of the SDM;
; it calls ring 0 through a call gate and with SYSENTER, and returns with RETF and SYSEXIT.
; Prints on port 0xE9; the test compares the output with QEMU's.
; Flat multiboot image; build: nasm -f bin ring3.asm

        bits 32
        org 0x100000

MB_MAGIC        equ 0x1BADB002
MB_FLAGS        equ 0x00010000
KCODE           equ 0x08
KDATA           equ 0x10
UCODE           equ 0x18 | 3
UDATA           equ 0x20 | 3
TSS_SEL         equ 0x28
GATE_SEL        equ 0x30 | 3
SUPERVISOR_PAGE equ 0x3FF000            ; mapped without the U/S bit

start:  jmp     entry
        align 4
header: dd      MB_MAGIC, MB_FLAGS, -(MB_MAGIC + MB_FLAGS)
        dd      header, start, image_end, bss_end, entry

%include "lib.inc"

; EXPECT label: the next instruction should fault; the handler resumes user code at label.
%macro EXPECT 1
        mov     dword [resume], %1
%endmacro

; SYSCALL_PRINT label: print a string from ring 3.
%macro SYSCALL_PRINT 1
        mov     eax, %1
        int     0x80
%endmacro

entry:
        mov     esp, kstack_top
        lgdt    [gdt_pointer]
        jmp     KCODE:.flat
.flat:  mov     ax, KDATA
        mov     ds, ax
        mov     es, ax
        mov     fs, ax
        mov     gs, ax
        mov     ss, ax

        ; TSS descriptor (base tss, limit 103, 32-bit available TSS) and the call gate
        mov     eax, tss
        mov     [gdt + TSS_SEL + 2], ax
        shr     eax, 16
        mov     [gdt + TSS_SEL + 4], al
        mov     [gdt + TSS_SEL + 7], ah
        mov     eax, gate_target
        mov     [gdt + 0x30], ax
        shr     eax, 16
        mov     [gdt + 0x30 + 6], ax
        mov     dword [tss + 4], kstack_top     ; ESP0
        mov     dword [tss + 8], KDATA          ; SS0
        mov     word [tss + 102], 104           ; I/O map base past the limit: no bitmap
        mov     ax, TSS_SEL
        ltr     ax

        ; IDT: #GP and #PF (DPL 0), INT 0x80 (DPL 3 trap gate), INT 0x81 (DPL 0)
        mov     ecx, 13
        mov     eax, gp_handler
        mov     edx, 0x8E00
        call    set_gate
        mov     ecx, 14
        mov     eax, pf_handler
        call    set_gate
        mov     ecx, 0x81
        call    set_gate
        mov     ecx, 0x80
        mov     eax, syscall_handler
        mov     edx, 0xEF00
        call    set_gate
        lidt    [idt_pointer]

        ; SYSENTER: CS = KCODE (SS = CS + 8), ESP and EIP of the kernel entry
        mov     ecx, 0x174
        mov     eax, KCODE
        xor     edx, edx
        wrmsr
        mov     ecx, 0x175
        mov     eax, kstack_top
        wrmsr
        mov     ecx, 0x176
        mov     eax, sysenter_entry
        wrmsr

        ; paging: identity map 4 MiB, user-accessible except SUPERVISOR_PAGE
        mov     edi, page_table
        mov     eax, 7
        mov     ecx, 1024
.pte:   stosd
        add     eax, 0x1000
        loop    .pte
        and     dword [page_table + (SUPERVISOR_PAGE >> 12) * 4], ~4
        mov     dword [page_directory], page_table + 7
        mov     eax, page_directory
        mov     cr3, eax
        mov     eax, cr0
        or      eax, 0x80010000         ; PG, and WP for good measure
        mov     cr0, eax

        PRINT   s_kernel
        ; to ring 3: IRET with SS:ESP, EFLAGS (IF = 0, IOPL = 0), CS:EIP
        push    dword UDATA
        push    dword ustack_top
        push    dword 0x2
        push    dword UCODE
        push    dword user_main
        iretd

; set_gate: IDT entry ECX -> handler EAX, type and DPL in EDX (0x8E00 or 0xEF00)
set_gate:
        push    eax
        mov     [idt + ecx * 8], ax
        mov     word [idt + ecx * 8 + 2], KCODE
        mov     [idt + ecx * 8 + 4], dx
        shr     eax, 16
        mov     [idt + ecx * 8 + 6], ax
        pop     eax
        ret

; INT 0x80: EAX = string to print, or 0 to exit. Shows the privilege level it came from and
; where the CPU put the kernel stack.
syscall_handler:
        test    eax, eax
        jz      .exit
        push    eax
        mov     ax, ds
        push    eax                     ; the caller's DS
        mov     ax, KDATA
        mov     ds, ax
        mov     es, ax
        pop     eax
        xchg    eax, [esp]              ; EAX = the string; [esp] = the caller's DS
        push    eax
        PRINT   s_sys
        mov     eax, [esp + 12]         ; saved CS
        and     eax, 3
        PRINTHEX s_cpl, eax
        lea     eax, [esp + 8 + 20]
        sub     eax, kstack_top         ; 0: the frame (EIP, CS, EFLAGS, ESP, SS) sits at ESP0
        PRINTHEX s_frame, eax
        mov     eax, [esp + 24]         ; saved SS
        PRINTHEX s_ss, eax
        mov     eax, [esp + 4]
        and     eax, 0xFFFF
        PRINTHEX s_ds, eax
        pop     eax
        push    esi
        mov     esi, eax
        call    print
        pop     esi
        NEWLINE
        pop     eax                     ; the caller's DS
        mov     ds, ax
        mov     es, ax
        iretd
.exit:  PRINT   s_done
        EXIT    0

gp_handler:
        push    eax
        mov     ax, KDATA
        mov     ds, ax
        PRINT   s_gp
        jmp     fault_common
pf_handler:
        push    eax
        mov     ax, KDATA
        mov     ds, ax
        mov     eax, cr2
        PRINTHEX s_cr2, eax
        PRINT   s_pf
fault_common:
        mov     eax, [esp + 4]          ; error code
        PRINTHEX s_err, eax
        mov     eax, [esp + 12]         ; saved CS
        PRINTHEX s_cs, eax
        NEWLINE
        mov     eax, [resume]
        mov     [esp + 8], eax          ; saved EIP
        mov     ax, UDATA               ; every fault here comes from ring 3
        mov     ds, ax
        pop     eax
        add     esp, 4                  ; the error code
        iretd

; the call gate's target, in ring 0 on the kernel stack
gate_target:
        mov     ax, KDATA
        mov     ds, ax
        PRINT   s_gate
        mov     eax, [esp + 4]          ; the caller's CS
        PRINTHEX s_cs, eax
        mov     eax, [esp + 12]         ; the caller's SS
        PRINTHEX s_ss, eax
        mov     eax, esp
        sub     eax, kstack_top
        PRINTHEX s_frame, eax
        NEWLINE
        mov     ax, UDATA
        mov     ds, ax
        retf

sysenter_entry:
        mov     ax, KDATA
        mov     ds, ax
        PRINT   s_sysenter
        mov     ax, cs
        movzx   eax, ax
        PRINTHEX s_cs, eax
        mov     ax, ss
        movzx   eax, ax
        PRINTHEX s_ss, eax
        NEWLINE
        mov     ax, UDATA
        mov     ds, ax
        ; SYSEXIT: CS = KCODE + 16 (RPL 3), SS = KCODE + 24, EIP = EDX, ESP = ECX
        sysexit

; ---------------------------------------------------------------------------------------------
user_main:
        mov     ax, UDATA               ; IRET to ring 3 nulled DS and ES (DPL 0 < CPL 3)
        mov     ds, ax
        mov     es, ax
        SYSCALL_PRINT u_hello

        EXPECT  .1
        cli
.1:     EXPECT  .2
        in      al, 0x60
.2:     EXPECT  .3
        hlt
.3:     EXPECT  .4
        mov     eax, cr0
.4:     EXPECT  .5
        int     0x81
.5:     EXPECT  .6
        mov     ax, KDATA
        mov     ds, ax
.6:     EXPECT  .7
        mov     dword [SUPERVISOR_PAGE + 0x10], 1
.7:     EXPECT  .8
        mov     eax, [SUPERVISOR_PAGE + 0x20]
.8:
        call    GATE_SEL:0              ; the offset comes from the gate
        SYSCALL_PRINT u_back

        mov     ecx, esp
        mov     edx, .after_sysexit
        sysenter
.after_sysexit:
        mov     ax, cs
        SYSCALL_PRINT u_back

        xor     eax, eax
        int     0x80

; ---------------------------------------------------------------------------------------------
        align 8
gdt:    dq      0
        dq      0x00CF9A000000FFFF      ; 0x08 ring 0 code
        dq      0x00CF92000000FFFF      ; 0x10 ring 0 data
        dq      0x00CFFA000000FFFF      ; 0x18 ring 3 code
        dq      0x00CFF2000000FFFF      ; 0x20 ring 3 data
        dq      0x0000890000000067      ; 0x28 TSS (base filled in)
        dq      0x0000EC0000080000      ; 0x30 call gate, DPL 3, to 0x08 (offset filled in)
gdt_end:
gdt_pointer:
        dw      gdt_end - gdt - 1
        dd      gdt
idt_pointer:
        dw      256 * 8 - 1
        dd      idt

s_kernel: db "ring 0: entering ring 3", 10, 0
s_sys:  db "syscall: ", 0
s_cpl:  db "cpl=", 0
s_frame: db "frame=", 0
s_ss:   db "ss=", 0
s_ds:   db "ds=", 0
s_gp:   db "#GP ", 0
s_pf:   db "#PF ", 0
s_cr2:  db "cr2=", 0
s_err:  db "err=", 0
s_cs:   db "cs=", 0
s_gate: db "call gate: ", 0
s_sysenter: db "sysenter: ", 0
s_done: db "done", 10, 0
u_hello: db "hello from ring 3", 0
u_back: db "back in ring 3", 0

        align 4
image_end:

        absolute image_end
        alignb  4096
page_directory: resb 4096
page_table:     resb 4096
idt:            resb 256 * 8
tss:            resb 104
resume:         resd 1
        alignb  16
                resb 8192
kstack_top:
                resb 8192
ustack_top:
bss_end:
