; Start-up code of the C test guest: the multiboot header (ELF kernel, no address fields), a
; stack, a call to kmain, and the exit device with kmain's return value.
        bits 32
        section .multiboot
        align 4
        dd      0x1BADB002, 0, -0x1BADB002

        section .text
        global  _start
        extern  kmain
_start:
        mov     esp, stack_top
        cld
        call    kmain
        out     0xF4, al
        cli
.halt:  hlt
        jmp     .halt

        section .bss
        alignb  16
        resb    65536
stack_top:
